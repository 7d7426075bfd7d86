from django.shortcuts import render
from django.urls import path


def page(request):
    return render(request, "page.html", {"items": range(20)})


urlpatterns = [path("", page)]
