"""Helpers shared by the test servers and the test modules."""

import socket


def stop_http_server(httpd):
    """Stop a ``socketserver`` server at once.

    ``shutdown()`` alone waits for the serving loop's next poll; asking for the stop first and
    then waking the loop's ``select`` with a connection makes it return immediately, which
    matters over the thousand servers a test run starts and stops.
    """
    httpd._BaseServer__shutdown_request = True
    try:
        with socket.create_connection(httpd.server_address[:2], timeout=1.0):
            pass
    except OSError:
        pass
    httpd.shutdown()
    httpd.server_close()
