"""Stream listeners (being written; see the issue tracker)."""


class StreamListener:
    pass


class CallbackStreamListener(StreamListener):
    pass
