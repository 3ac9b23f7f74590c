"""Streamlit helpers shared by the pages: URL-bound widgets, asset text, parameter sliders."""
