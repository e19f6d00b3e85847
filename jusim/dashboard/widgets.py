"""Two small browser-side widgets (Vue templates through ipyvuetify; no files fetched).

- ``PlayClock``: paces live play on rendered frames. While ``playing``, the browser asks the
  server for the next month (``tick``) only after the previous frame has arrived and been drawn,
  and no sooner than ``period_ms`` after its last request. So play never queues months faster than
  the page can draw them (the cause of the old freezes, "Too many renders" and an ignored Pause):
  a Pause or Step click waits behind at most one month's work.
- ``FilePicker``: a button that opens the browser's file chooser and sends a small text file
  (saved levers) to the server.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import ipyvuetify as v
import traitlets

_CLOCK = """
<template><span class="jusim-clock" style="display: none"></span></template>
<script>
module.exports = {
  mounted() { this.schedule(); },
  beforeDestroy() { clearTimeout(this.timer); },
  watch: {
    frame() { this.schedule(); },
    playing() { this.schedule(); },
  },
  methods: {
    schedule() {
      clearTimeout(this.timer);
      if (!this.playing) return;
      // after this update is drawn, wait out the rest of the period, then ask for a month
      this.$nextTick(() => {
        const wait = Math.max(0, this.period_ms - (performance.now() - (this.sent || 0)));
        this.timer = setTimeout(() => {
          if (!this.playing) return;
          this.sent = performance.now();
          this.tick(this.frame);
        }, wait);
      });
    },
  },
};
</script>
"""


class PlayClock(v.VuetifyTemplate):
    """Asks for a month (``on_tick(frame)``) each time the previous frame has been drawn."""

    template = traitlets.Unicode(_CLOCK).tag(sync=True)
    playing = traitlets.Bool(False).tag(sync=True)
    frame = traitlets.Int(0).tag(sync=True)
    period_ms = traitlets.Int(250).tag(sync=True)
    on_tick = traitlets.Callable(None, allow_none=True)

    def vue_tick(self, frame: Any) -> None:
        if self.on_tick is not None:
            self.on_tick(frame)


_PICKER = """
<template>
  <span>
    <v-btn outlined small class="jusim-file-picker" @click="$refs.file.click()">{{ label }}</v-btn>
    <input ref="file" type="file" :accept="accept" style="display: none" @change="read" />
  </span>
</template>
<script>
module.exports = {
  methods: {
    read(event) {
      const file = event.target.files[0];
      if (!file) return;
      const reader = new FileReader();
      reader.onload = () => { this.picked({name: file.name, text: reader.result}); };
      reader.readAsText(file);
      event.target.value = "";
    },
  },
};
</script>
"""


class FilePicker(v.VuetifyTemplate):
    """A button that lets the user choose a text file; ``on_file({"name", "text"})``."""

    template = traitlets.Unicode(_PICKER).tag(sync=True)
    label = traitlets.Unicode("Load file").tag(sync=True)
    accept = traitlets.Unicode(".json").tag(sync=True)
    on_file = traitlets.Callable(None, allow_none=True)

    def vue_picked(self, data: dict[str, str]) -> None:
        if self.on_file is not None:
            self.on_file(data)


def play_clock(playing: bool, frame: int, period_ms: int, on_tick: Callable[[Any], None]) -> Any:
    return PlayClock.element(playing=playing, frame=frame, period_ms=period_ms, on_tick=on_tick)


def file_picker(
    label: str, on_file: Callable[[dict[str, str]], None], accept: str = ".json"
) -> Any:
    return FilePicker.element(label=label, on_file=on_file, accept=accept)
