"""Plotly figure builders on one base (charts.base): data in, figure out. No Streamlit here."""
