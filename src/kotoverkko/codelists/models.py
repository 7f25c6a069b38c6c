"""Finnish code lists: regions, wellbeing services counties, municipalities, PTV classes."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class CodeListItem(models.Model):
    code = models.CharField(_("code"), max_length=20, unique=True)
    name = models.CharField(_("name"), max_length=200)
    valid_from = models.DateField(_("valid from"), null=True, blank=True)
    valid_to = models.DateField(_("valid until"), null=True, blank=True)

    class Meta:
        abstract = True
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Region(CodeListItem):
    class Meta(CodeListItem.Meta):
        verbose_name = _("region")
        verbose_name_plural = _("regions")


class WellbeingCounty(CodeListItem):
    class Meta(CodeListItem.Meta):
        verbose_name = _("wellbeing services county")
        verbose_name_plural = _("wellbeing services counties")


class Municipality(CodeListItem):
    region = models.ForeignKey(
        Region, verbose_name=_("region"), on_delete=models.PROTECT, related_name="municipalities"
    )
    wellbeing_county = models.ForeignKey(
        WellbeingCounty,
        verbose_name=_("wellbeing services county"),
        on_delete=models.PROTECT,
        related_name="municipalities",
    )

    class Meta(CodeListItem.Meta):
        verbose_name = _("municipality")
        verbose_name_plural = _("municipalities")


class ServiceClass(CodeListItem):
    parent = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.CASCADE, related_name="children"
    )

    class Meta(CodeListItem.Meta):
        ordering = ["code"]
        verbose_name = _("service class")
        verbose_name_plural = _("service classes")


class TargetGroup(CodeListItem):
    parent = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.CASCADE, related_name="children"
    )

    class Meta(CodeListItem.Meta):
        ordering = ["code"]
        verbose_name = _("PTV target group")
        verbose_name_plural = _("PTV target groups")
