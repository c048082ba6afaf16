"""The Feature Redundancy Ghost tab's call path, from ghost_view.draw down to the library (issue 24).

    python bench/trace_redundancy_path.py      # from a checkout's root; an AppTest run of the Ghost tab

Counts the call and return events of the app-side functions on the path (ghost_view, the subject module, the
shell's caches) and the calls into effviz they make, during one ghost_view.draw with "compare with untrained" on,
in a fresh process. Streamlit's cache wrappers are not app code and do not count; the disk cache's own machinery
(key, get, store, locks) and the Subject's `data` property are left out of the summary line."""
import os
import sys
import threading

sys.path.insert(0, os.getcwd())
from tests.apptest_support import open_page  # noqa: E402

KEEP = ("ghost_view", "redundancy_subject", "subject", "cache", "shared_cache")
events, depth = [], [0]
root = os.getcwd()


def mod_of(code):
    f = code.co_filename
    if not f.startswith(root):
        return None
    rel = os.path.relpath(f, root)[:-3].replace(os.sep, ".")
    return rel


def prof(frame, event, arg):
    if event not in ("call", "return"):
        return
    m = mod_of(frame.f_code)
    if m is None:
        return
    name = frame.f_code.co_name
    if m.endswith("ghost_view") and name == "draw":
        depth[0] += 1 if event == "call" else -1
        events.append((event, m, name))
        return
    if not depth[0]:
        return
    if m.startswith("app_support") and m.rsplit(".", 1)[-1] in KEEP and not name.startswith("<"):
        events.append((event, m, name))
    elif m.startswith("effviz") and event == "call":
        caller = frame.f_back
        # the first library frame under an app frame (through Streamlit's cache wrappers)
        while caller is not None and mod_of(caller.f_code) is None:
            caller = caller.f_back
        cm = mod_of(caller.f_code) if caller else None
        if cm and cm.startswith("app_support"):
            events.append(("call", m, name))

sys.setprofile(prof)
threading.setprofile(prof)
at = open_page("feature_redundancy", {"fr_tab": "ghost"}, timeout=900)
sys.setprofile(None)
threading.setprofile(None)
assert not at.exception, at.exception
keep = [e for e in events if not (e[1].endswith("shared_cache") and e[2] != "cached")
        and e[2] not in ("data", "find_spec")]
print(f"{sum(e[0] == 'call' for e in keep)} calls, {sum(e[0] == 'return' for e in keep)} returns")
mods, last = [], None
for e in keep:
    short = e[1].replace("app_support.", "")
    if short != last:
        mods.append(short)
        last = short
print(" -> ".join(mods))
