"""The experiments: each lab declares its controls once beside its config (labs.controls) and computes with
PyTorch (imported by the labs that train). No Streamlit, no Plotly here."""
