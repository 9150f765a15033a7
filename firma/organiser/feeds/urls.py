from django.urls import path
from django.views.decorators.cache import cache_control

from firma.organiser.feeds.feeds import PetitionFeed, ResponsesFeed

# Feed readers poll: a few minutes' delay is nothing to them, and spares the database.
MAX_AGE = 300

app_name = "feeds"
urlpatterns = [
    path(
        "p/<slug:slug>/feed/",
        cache_control(public=True, max_age=MAX_AGE)(PetitionFeed()),
        name="petition",
    ),
    path(
        "responses/feed/",
        cache_control(public=True, max_age=MAX_AGE)(ResponsesFeed()),
        name="responses",
    ),
]
