from django.urls import path

from firma.ledger import views as views

app_name = "ledger"
urlpatterns = [
    path("p/<slug:slug>/my/<str:token>/ledger/", views.my_proof, name="my_proof"),
    path(
        "p/<slug:slug>/my/<str:token>/ledger/proof.json", views.my_proof_json, name="my_proof_json"
    ),
]
