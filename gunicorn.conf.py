"""Read by gunicorn from the working directory: no version banner in the Server header."""

import gunicorn

gunicorn.SERVER = "meldcode"
