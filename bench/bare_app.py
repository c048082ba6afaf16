"""The baseline for app benchmarks: a bare one-slider Streamlit app."""
import streamlit as st

value = st.slider("Value", 0, 100, 50, key="value")
st.metric("Value", value)
