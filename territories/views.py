from django.shortcuts import get_object_or_404, render

from .models import Department, Region


def region_detail(request, slug):
    region = get_object_or_404(Region, slug=slug)
    return render(request, "territories/region.html", {"region": region})


def department_detail(request, slug):
    department = get_object_or_404(Department.objects.select_related("region"), slug=slug)
    return render(request, "territories/department.html", {"department": department})


def territory_index(request):
    regions = Region.objects.all()
    return render(request, "territories/index.html", {"regions": regions})
