"""URLs of the local admin server (``drafter suivi serveur``)."""

from django.contrib import admin
from django.urls import path

admin.site.site_header = "drafter — suivi des clauses sociales"
admin.site.site_title = "Suivi des clauses sociales"
admin.site.index_title = "Marchés, déclarations et bilans"

urlpatterns = [path("", admin.site.urls)]
