"""Work done once a response has been sent: the client's wait never depends on it."""

import logging

logger = logging.getLogger(__name__)


def after_response(response, work):
    """Run `work()` when the server closes `response`, which it does once the response is sent (the WSGI
    servers call close() after the last byte; Django's test client too). Returns the response."""
    close = response.close

    def work_then_close():
        try:
            work()
        except Exception:  # the response is gone: nobody to show it to but the logs
            logger.exception("Work after the response failed")
        finally:
            close()

    response.close = work_then_close
    return response
