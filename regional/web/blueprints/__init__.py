"""The regional web app's areas, one blueprint each (registered in order by regional.web.create_app)."""
