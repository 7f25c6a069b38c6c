"""Create or print the API token of the user with the given e-mail address."""

from django.core.management.base import BaseCommand, CommandError

from kotoverkko.accounts.models import User
from kotoverkko.accounts.services import api_token_get_or_create


class Command(BaseCommand):
    help = "Create or print a user's API token."

    def add_arguments(self, parser):
        parser.add_argument("email")

    def handle(self, *args, email: str, **options):
        try:
            user = User.objects.get(email__iexact=email.strip())
        except User.DoesNotExist as exc:
            raise CommandError(f"No user with the e-mail address {email}.") from exc
        self.stdout.write(api_token_get_or_create(user=user).key)
