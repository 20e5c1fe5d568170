"""A one-line progress bar for management commands, drawn only on a terminal."""


class ProgressBar:
    def __init__(self, stream, *, width=30, enabled=None):
        self.stream = stream
        self.width = width
        self.enabled = stream.isatty() if enabled is None else enabled
        self.drawn = False

    def __call__(self, step, done, total):
        if not self.enabled or not total:
            return
        filled = self.width * done // total
        bar = "#" * filled + "." * (self.width - filled)
        self.stream.write(f"\r{step:<14} [{bar}] {done}/{total}", ending="")
        self.stream.flush()
        self.drawn = True

    def finish(self):
        if self.drawn:
            self.stream.write("")
            self.drawn = False
