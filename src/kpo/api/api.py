from ninja import NinjaAPI

api = NinjaAPI(title="kpo API", version="1", urls_namespace="api")
