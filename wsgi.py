from strategy import create_app

app = create_app()
