"""Reload the Finnish code lists from the shipped snapshots (after a yearly refresh)."""

from django.apps import apps
from django.core.management.base import BaseCommand
from django.db import transaction

from kotoverkko.codelists.loader import load_code_lists


class Command(BaseCommand):
    help = "Load or refresh municipalities, regions, wellbeing counties and PTV classes."

    def handle(self, *args, **options):
        with transaction.atomic():
            counts = load_code_lists(apps)
        for name, count in counts.items():
            self.stdout.write(f"{name}: {count}")
