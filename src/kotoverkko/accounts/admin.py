from django.contrib import admin

from .models import User


@admin.register(User)
class UserAdmin(admin.ModelAdmin):
    list_display = ["email", "is_active", "is_staff", "is_superuser", "date_joined"]
    search_fields = ["email"]
    exclude = ["password"]
