"""The bare Flask hello-world that bench/load.py serves beside Wishgrid (same gunicorn settings)."""
from flask import Flask

app = Flask(__name__)


@app.get("/")
def hello():
    """A constant page: the ceiling for this server, client and machine."""
    return "hello"
