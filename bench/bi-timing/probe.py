#!/usr/bin/env python3
# Security review finding 14: the median answer time of Backend Interfaces JoinReqs naming a known and an
# unknown DevEUI, alternating, on one kept-alive connection; unauthenticated, then from a registered network
# that is not the device's home. Start a server on an empty data directory first, e.g.
#   dotnet src/Custodian.Server/bin/Release/net10.0/Custodian.Server.dll --urls http://127.0.0.1:PORT \
#     --Custodian:DataDirectory DIR --Custodian:BackendInterfaces:AuthFailuresPerAddress 0
# then run: python3 bench/bi-timing/probe.py PORT DIR
# (AuthFailuresPerAddress 0: otherwise the 21st unauthenticated request is answered 429 unread.)
import http.client, json, statistics, sys, time, os
port = int(sys.argv[1]); data = sys.argv[2]
admin = open(os.path.join(data, "admin-key.txt")).read().strip()
def call(method, path, body=None, token=None):
    c = http.client.HTTPConnection("127.0.0.1", port); h = {"Content-Type": "application/json"}
    if token: h["Authorization"] = "Bearer " + token
    c.request(method, path, json.dumps(body) if body is not None else None, h); r = c.getresponse(); t = r.read(); c.close()
    return r.status, (json.loads(t) if t else None)
call("POST", "/api/v1/tenants", {"id": "maker", "name": "maker"}, admin)
_, k = call("POST", "/api/v1/tenants/maker/api-keys", {"name": "k", "rights": ["devices:provision", "events:read"]}, admin)
maker = k["key"]
_, n13 = call("POST", "/api/v1/networks", {"netId": "000013"}, admin)
_, n14 = call("POST", "/api/v1/networks", {"netId": "000014"}, admin)
known = "00AB000000000001"; unknown = "00AB0000000000FF"; joineui = "70B3D57ED0000ABC"
s, b = call("POST", "/api/v1/devices", {"joinEui": joineui, "devEui": known, "macVersion": "1.0.3", "homeNetId": "000013"}, maker)
assert s == 201, b
def le(h): return bytes.fromhex(h)[::-1].hex()
def joinreq(dev, nonce, sender):
    phy = "00" + le(joineui) + le(dev) + nonce.to_bytes(2, "little").hex() + "00000000"
    return {"ProtocolVersion": "1.1", "SenderID": sender, "ReceiverID": joineui, "TransactionID": nonce, "MessageType": "JoinReq",
            "MACVersion": "1.0.3", "PHYPayload": phy, "DevEUI": dev, "DevAddr": "26011234", "DLSettings": "15", "RxDelay": 1}
conn = http.client.HTTPConnection("127.0.0.1", port)
def timed(body, token):
    h = {"Content-Type": "application/json"}
    if token: h["Authorization"] = "Bearer " + token
    t0 = time.perf_counter(); conn.request("POST", "/backend-interfaces", json.dumps(body), h); r = conn.getresponse(); out = json.loads(r.read())
    return (time.perf_counter() - t0) * 1000, out["Result"]["ResultCode"]
def run(label, token, sender, n=70):
    for i in range(20): timed(joinreq(known, i, sender), token); timed(joinreq(unknown, i, sender), token)
    a, b = [], []
    for i in range(n):
        ta, ca = timed(joinreq(known, 100 + i, sender), token); tb, cb = timed(joinreq(unknown, 100 + i, sender), token)
        a.append(ta); b.append(tb)
    print(f"{label}: known {statistics.median(a):.3f} ms ({ca}), unknown {statistics.median(b):.3f} ms ({cb}), n={n} each")
run("unauthenticated JoinReq", None, "000013")
run("network 000014 (foreign) JoinReq", n14["token"], "000014")
_, ev = call("GET", f"/api/v1/events?devEui={known}&limit=1000", None, maker)
print("owner's events for the known device:", len(ev["events"]))
