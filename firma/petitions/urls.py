from django.urls import path

from firma.petitions.outreach import views as outreach
from firma.petitions.page import embeds as embeds
from firma.petitions.page import views as views
from firma.petitions.partners import views as partners
from firma.petitions.self_service import not_me as not_me
from firma.petitions.self_service import unsubscribe as unsubscribe
from firma.petitions.self_service import views as signer_views
from firma.petitions.sharing import views as sharing
from firma.petitions.versions import views as versions

app_name = "petitions"
urlpatterns = [
    path("", views.index, name="index"),
    path("p/<slug:slug>/", views.detail, name="detail"),
    path("p/<slug:slug>/sign/", views.sign, name="sign"),
    path("p/<slug:slug>/challenge/", views.new_challenge, name="challenge"),
    path("p/<slug:slug>/thanks/", views.thanks, name="thanks"),
    path("p/<slug:slug>/confirm/<str:token>/", views.confirm, name="confirm"),
    path("p/<slug:slug>/confirmed/", views.confirmed, name="confirmed"),
    path("p/<slug:slug>/embed/", embeds.embed, name="embed"),
    path("p/<slug:slug>/embed/sign/", embeds.embed_sign, name="embed_sign"),
    path("p/<slug:slug>/embed/thanks/", embeds.embed_thanks, name="embed_thanks"),
    path("p/<slug:slug>/changes/", versions.changes, name="changes"),
    path("p/<slug:slug>/card.png", sharing.card, name="card"),
    path("p/<slug:slug>/partners/<slug:partner>/logo.png", partners.logo, name="partner_logo"),
    path("p/<slug:slug>/share/mastodon/", sharing.share_on_mastodon, name="share_mastodon"),
    path("privacy/", signer_views.privacy, name="privacy"),
    path("p/<slug:slug>/my/<str:token>/", signer_views.my_signature, name="my_signature"),
    path(
        "p/<slug:slug>/my/<str:token>/data.json",
        signer_views.my_signature_data,
        name="my_signature_data",
    ),
    path(
        "p/<slug:slug>/my/<str:token>/listing/",
        signer_views.my_signature_listing,
        name="my_signature_listing",
    ),
    path(
        "p/<slug:slug>/my/<str:token>/news/",
        signer_views.my_signature_news,
        name="my_signature_news",
    ),
    path(
        "p/<slug:slug>/my/<str:token>/partners/",
        signer_views.my_signature_partners,
        name="my_signature_partners",
    ),
    path(
        "p/<slug:slug>/my/<str:token>/organisation-news/",
        signer_views.my_signature_organisation_news,
        name="my_signature_organisation_news",
    ),
    path(
        "p/<slug:slug>/my/<str:token>/delete/",
        signer_views.my_signature_delete,
        name="my_signature_delete",
    ),
    path("p/<slug:slug>/deleted/", signer_views.signature_deleted, name="signature_deleted"),
    path("p/<slug:slug>/not-me/<str:token>/", not_me.not_me, name="not_me"),
    path("p/<slug:slug>/not-me/", not_me.not_me_done, name="not_me_done"),
    path("p/<slug:slug>/unsubscribe/<str:token>/", unsubscribe.unsubscribe, name="unsubscribe"),
    path("respond/<str:token>/", outreach.respond, name="respond"),
    path("respond/<str:token>/thanks/", outreach.responded, name="responded"),
]
