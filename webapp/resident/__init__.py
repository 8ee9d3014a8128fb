"""resident blueprint."""
from flask import Blueprint

bp = Blueprint("resident", __name__)
