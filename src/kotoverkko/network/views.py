from django.http import HttpResponse


def home(request):
    return HttpResponse("home")


def dashboard(request):
    return HttpResponse("dashboard")
