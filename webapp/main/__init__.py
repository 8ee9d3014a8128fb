"""main blueprint."""
from flask import Blueprint

bp = Blueprint("main", __name__)
