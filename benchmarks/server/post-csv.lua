-- One Car row per request, as text/csv, over wrk's keep-alive connections.
wrk.method = "POST"
wrk.body = "low,low,5more,more,big,high\n"
wrk.headers["Content-Type"] = "text/csv"
