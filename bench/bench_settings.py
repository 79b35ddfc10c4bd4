"""Settings for the benchmark's server only: the project's settings with a URLconf that adds
the bare claim floor and a bare ping. Never used in production (it lives under bench/)."""

from tuanxue.settings import *  # noqa: F403

ROOT_URLCONF = "bench_urls"
