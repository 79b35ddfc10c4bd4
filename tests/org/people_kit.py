"""Helpers for the people tests: staff with logins, a second college and class."""

from __future__ import annotations

import itertools

from django.contrib.auth import get_user_model

from tuanxue.org import services
from tuanxue.org.models import Major, StaffPerson

_seq = itertools.count(1)


def staff_user(kit, *, name: str = "王老师", unit: str = "校团委", college=None, email: str = ""):
    n = next(_seq)
    number = f"T{kit.school.pk:02d}{n:04d}"
    user = get_user_model().objects.create_user(
        username=number, password="pw-Tuanxue-1", first_name=name
    )
    StaffPerson.objects.create(
        school=kit.school,
        staff_no=number,
        name=name,
        unit=unit,
        college=college,
        email=email,
        user=user,
    )
    return user


def second_college(kit):
    college = services.college_create(actor=None, school=kit.school, name="机电学院")
    major = Major.objects.create(school=kit.school, college=college, name="机电一体化")
    group = services.class_group_create(
        actor=None, school=kit.school, college=college, major=major, name="机电2001", grade=2020
    )
    return college, group
