"""The portal's settings plus one bare view (the benchmark's baseline); used only by `make bench`."""

from zhenjiang_consortia.settings import *  # noqa: F401,F403

ROOT_URLCONF = "benchmarks.urls"
