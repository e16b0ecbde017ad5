wrk.headers["X-Helpdock-Site"] = "bench"
wrk.headers["X-Helpdock-Identity"] = ""
