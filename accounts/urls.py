from django.urls import path

from . import views

app_name = "accounts"

urlpatterns = [
    path("my/account/", views.mine, name="mine"),
    path("my/account/data/", views.data, name="data"),
    path("my/account/data.json", views.data_json, name="data_json"),
    path("my/account/delete/", views.delete, name="delete"),
]
