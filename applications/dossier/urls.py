from django.urls import path

app_name = "dossier"

urlpatterns: list = []
