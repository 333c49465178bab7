"""The national web app's areas, one blueprint each (registered in order by national.web.create_app)."""
