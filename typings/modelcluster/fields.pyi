from django.db.models import ForeignKey as ParentalKey
from django.db.models import ManyToManyField as ParentalManyToManyField

__all__ = ["ParentalKey", "ParentalManyToManyField"]
