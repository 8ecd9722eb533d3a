from django.urls import path

from . import views
from .feeds import LatestArticlesAtomFeed, LatestArticlesFeed
from .search.views import SearchView

app_name = "articles"

urlpatterns = [
    path("", views.HomeView.as_view(), name="home"),
    path("articles/", views.ArticleListView.as_view(), name="list"),
    path("articles/<slug:slug>/", views.ArticleDetailView.as_view(), name="detail"),
    path("categories/<slug:slug>/", views.CategoryDetailView.as_view(), name="category"),
    path("contributors/<slug:slug>/", views.ContributorDetailView.as_view(), name="contributor"),
    path("how-we-review/", views.HowWeReviewView.as_view(), name="how_we_review"),
    path("search/", SearchView.as_view(), name="search"),
    path("feed/", LatestArticlesFeed(), name="feed"),
    path("feed/atom/", LatestArticlesAtomFeed(), name="feed_atom"),
]
