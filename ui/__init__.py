"""The Streamlit shell shared by every page: start-up, language, host gate, navigation, drawing.

Pages read input, call the core, and draw with these helpers; nothing here computes results.
"""
