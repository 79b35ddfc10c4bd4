def build_demo_step(school):
    return None
