"""auth blueprint: login, logout, register (居民注册 / 个人报到 / 单位报到)."""
from flask import Blueprint

bp = Blueprint("auth", __name__)

from . import code_views, views  # noqa: E402,F401
