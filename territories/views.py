from django.shortcuts import get_object_or_404, render

from cooperations.models import Cooperation
from structures.models import Structure

from .maps import department_map, region_map
from .models import Department, Region

LATEST_COUNT = 12
STRUCTURE_COUNT = 24


def territory_index(request):
    regions = list(Region.objects.with_cooperation_counts().order_by("search_name"))
    departments = list(Department.objects.with_cooperation_counts().order_by("code"))
    context = {
        "regions": regions,
        "departments": departments,
        "region_map": region_map(regions, departments),
        "department_map": department_map(departments),
    }
    return render(request, "territories/index.html", context)


def region_detail(request, slug):
    region = get_object_or_404(Region.objects.with_cooperation_counts(), slug=slug)
    departments = list(region.departments.with_cooperation_counts().order_by("code"))
    cooperations = Cooperation.objects.published().in_region(region.code)
    context = {
        "region": region,
        "departments": departments,
        "map": department_map(departments, key="region"),
        "cooperations": cooperations.for_cards()[:LATEST_COUNT],
        "structure_count": Structure.objects.filter(department__region=region).count(),
    }
    return render(request, "territories/region.html", context)


def department_detail(request, slug):
    departments = Department.objects.select_related("region").with_cooperation_counts()
    department = get_object_or_404(departments, slug=slug)
    structures = Structure.objects.filter(department=department)
    context = {
        "department": department,
        "cooperations": Cooperation.objects.published()
        .in_department(department.code)
        .for_cards()[:LATEST_COUNT],
        "structure_count": structures.count(),
        "structures": structures.with_place()
        .with_cooperation_counts()
        .order_by("search_name")[:STRUCTURE_COUNT],
    }
    return render(request, "territories/department.html", context)
