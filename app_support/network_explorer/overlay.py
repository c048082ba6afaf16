"""Network Explorer's graph coloured by the measured per-layer profile: the choice of measure (MACs, counted; time,
GMAC/s, memory access, measured) and the button that measures every layer of the chosen network (slow: several
passes, in this machine's one-at-a-time line, shared on disk by the workers like every timing)."""
from __future__ import annotations

import streamlit as st

from app_support.shell import cache, latency_queue
from app_support.shell.i18n import problem_text, t
from app_support.shell.number_format import milliseconds
from app_support.shell.shared_cache import shared

THREADS = 1
SLOT = "_nx_overlay"


@shared("layer_times_variant_by_block", guard=latency_queue.turn)
def variant_layer_times(machine: tuple, threads: int, name: str, options: tuple, input_size: tuple[int, int, int]):
    """effviz.speed.layer_times of networks.build(name, **options) (the page's choice, random weights)."""
    from effviz.speed import layer_profile

    return latency_queue.run(layer_profile.network_layer_times, name, input_size, threads, 1, options)


def graph_overlay(choice, prof) -> dict:
    """The graph tab's colour choice and its measure button. Returns network_dot's keyword arguments: {} (colour by
    MACs) until a profile is measured."""
    from effviz.speed import layer_profile

    if getattr(choice, "onnx", False):
        st.caption(t("network_explorer.overlay_onnx"))
        return {}
    c1, c2 = st.columns(2)
    measure = c1.radio(t("network_explorer.overlay"), layer_profile.OVERLAYS, horizontal=True, key="nx_overlay",
                       format_func=lambda m: t(f"network_explorer.overlay.{m}"))
    key = (choice.name, choice.key, choice.resolution, THREADS)
    if c2.button(t("network_explorer.overlay_measure"), key="nx_overlay_measure",
                 help=t("network_explorer.overlay_help", threads=THREADS)):
        with st.spinner(t("latency_lab.measuring")):
            try:
                lt = variant_layer_times(cache.latency_machine(), THREADS, choice.name, choice.key,
                                         (3, choice.resolution, choice.resolution))
                st.session_state[SLOT] = (key, lt)
            except latency_queue.TimingStopped:   # the timing process died: said, nothing kept
                st.error(t("latency_lab.run_stopped"), icon="⚠️")
            except ValueError as err:
                st.error(t("network_explorer.overlay_failed", problem=problem_text(err)), icon="⚠️")
    stored = st.session_state.get(SLOT)
    lt = stored[1] if stored and stored[0] == key else None
    if lt is None:
        if measure != "macs":
            st.caption(t("network_explorer.overlay_before"))
        return {}
    st.caption(t("network_explorer.overlay_done", res=choice.resolution, threads=lt.threads,
                 whole=milliseconds(lt.whole), layers=milliseconds(lt.layer_sum),
                 share=f"{100 * lt.layer_sum / lt.whole:.0f}" if lt.whole else "—"))
    return {"overlay": layer_profile.unit_totals(lt, [u.name for u in prof.units]), "measure": measure}
