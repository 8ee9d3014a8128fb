"""member blueprint."""
from flask import Blueprint

bp = Blueprint("member", __name__)
