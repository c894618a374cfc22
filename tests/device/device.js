#!/usr/bin/env node
// A LoRaWAN end device made of lora-packet's own code (npm `lora-packet`, pinned in
// package.json), for Custodian's interop and end-to-end tests. Nothing here is Custodian's code.
//
// Protocol: one JSON request per line on stdin, one JSON answer per line on stdout, in order;
// every answer echoes the request's "id". A bad request gets {"id":…,"ok":false,"error":"…"} and
// the helper keeps running; end of stdin ends it. Hex everywhere: EUIs, nonces, NetID, DevAddr
// big-endian (as displayed); PHYPayload and CFList as on the wire; keys as stored.
//
//   {"id":1,"op":"hello"}
//     -> {"id":1,"ok":true,"loraPacket":"0.9.3","node":"v20.x"}
//
//   {"id":2,"op":"joinRequest","macVersion":"1.0.3"|"1.1","appKey":"…","nwkKey":"…",
//    "joinEui":"…","devEui":"…","devNonce":"…"}
//     -> {"id":2,"ok":true,"phyPayload":"00…"}
//     MIC key: appKey for 1.0.x, nwkKey for 1.1 (give only the key the version uses).
//
//   {"id":3,"op":"joinAccept","macVersion":…, the same keys, "joinEui","devEui","devNonce"
//    (what the device sent), "phyPayload":"20…"}
//     -> {"id":3,"ok":true,"optNeg":bool,"micScheme":"legacy"|"1.1","micValid":bool,"mic":"…",
//         "joinNonce":"…","netId":"…","devAddr":"…","dlSettings":"…","rxDelay":"…","cfList":"…"|"",
//         "sessionKeys":{"nwkSKey","appSKey"}                              (legacy scheme)
//                    |{"fNwkSIntKey","sNwkSIntKey","nwkSEncKey","appSKey"} (1.1 with OptNeg)}
//     Decrypted with appKey (1.0.x) or nwkKey (1.1). lora-packet chooses the MIC scheme from the
//     decrypted DLSettings.OptNeg bit: legacy = CMAC(key, MHDR|fields); 1.1 = CMAC(JSIntKey,
//     JoinReqType 0xFF|JoinEUI|DevNonce|MHDR|fields), JSIntKey from lora-packet's generateJSKeys.
//     Session keys: 1.0.x from appKey, 1.1 without OptNeg from nwkKey (generateSessionKeys10);
//     1.1 with OptNeg from nwkKey and appKey (generateSessionKeys11). The answer carries the keys
//     even when micValid is false: the caller decides.
"use strict";

const readline = require("node:readline");
const lora = require("lora-packet");
const loraPacketVersion = require("lora-packet/package.json").version;

function hex(request, name, bytes) {
  const text = request[name];
  if (typeof text !== "string" || !/^([0-9a-fA-F]{2})*$/.test(text)) {
    throw new Error(`"${name}" must be a hex string`);
  }
  const buffer = Buffer.from(text, "hex");
  if (bytes !== undefined && buffer.length !== bytes) {
    throw new Error(`"${name}" must be ${bytes} bytes, got ${buffer.length}`);
  }
  return buffer;
}

function is11(request) {
  const version = request.macVersion;
  if (typeof version !== "string" || !/^1\.(0\.[0-4]|1)$/.test(version)) {
    throw new Error(`"macVersion" must be 1.0.0 … 1.0.4 or 1.1, got ${JSON.stringify(version)}`);
  }
  return version === "1.1";
}

// The key that signs the JoinRequest and encrypts (and, legacy, signs) the JoinAccept.
function rootKey(request) {
  return is11(request) ? hex(request, "nwkKey", 16) : hex(request, "appKey", 16);
}

function joinRequest(request) {
  const key = rootKey(request);
  const packet = lora.fromFields(
    {
      MType: "Join Request",
      AppEUI: hex(request, "joinEui", 8),
      DevEUI: hex(request, "devEui", 8),
      DevNonce: hex(request, "devNonce", 2),
    },
    undefined,
    undefined,
    key // lora-packet signs join messages with its "AppKey" argument
  );
  return { phyPayload: packet.getPHYPayload().toString("hex") };
}

function joinAccept(request) {
  const lorawan11 = is11(request);
  const key = rootKey(request);
  const joinEui = hex(request, "joinEui", 8);
  const devEui = hex(request, "devEui", 8);
  const devNonce = hex(request, "devNonce", 2);
  const received = lora.fromWire(hex(request, "phyPayload"));
  if (!received.isJoinAcceptMessage()) {
    throw new Error(`not a JoinAccept: MType ${received.getMType()}`);
  }
  const packet = lora.fromWire(lora.decryptJoinAccept(received, key));
  const optNeg = packet.getDLSettingsOptNeg() === true;

  let micValid;
  if (optNeg) {
    // The 1.1 MIC covers what the device sent; lora-packet reads it from the packet object.
    packet.JoinEUI = joinEui;
    packet.DevNonce = devNonce;
    const { JSIntKey } = lora.generateJSKeys(key, devEui);
    micValid = lora.verifyMIC(packet, JSIntKey, key);
  } else {
    micValid = lora.verifyMIC(packet, undefined, key);
  }

  let sessionKeys;
  if (optNeg && lorawan11) {
    const keys = lora.generateSessionKeys11(hex(request, "appKey", 16), key, joinEui, packet.AppNonce, devNonce);
    sessionKeys = {
      fNwkSIntKey: keys.FNwkSIntKey.toString("hex"),
      sNwkSIntKey: keys.SNwkSIntKey.toString("hex"),
      nwkSEncKey: keys.NwkSEncKey.toString("hex"),
      appSKey: keys.AppSKey.toString("hex"),
    };
  } else {
    const keys = lora.generateSessionKeys10(key, packet.NetID, packet.AppNonce, devNonce);
    sessionKeys = { nwkSKey: keys.NwkSKey.toString("hex"), appSKey: keys.AppSKey.toString("hex") };
  }

  return {
    optNeg,
    micScheme: optNeg ? "1.1" : "legacy",
    micValid,
    mic: packet.MIC.toString("hex"),
    joinNonce: packet.AppNonce.toString("hex"),
    netId: packet.NetID.toString("hex"),
    devAddr: packet.DevAddr.toString("hex"),
    dlSettings: packet.DLSettings.toString("hex"),
    rxDelay: packet.RxDelay.toString("hex"),
    cfList: packet.CFList.toString("hex"),
    sessionKeys,
  };
}

const operations = {
  hello: () => ({ loraPacket: loraPacketVersion, node: process.version }),
  joinRequest,
  joinAccept,
};

function answer(line) {
  let request;
  try {
    request = JSON.parse(line);
  } catch (error) {
    return { id: null, ok: false, error: `not JSON: ${error.message}` };
  }
  const id = request !== null && typeof request === "object" && "id" in request ? request.id : null;
  try {
    const operation = Object.hasOwn(operations, request.op) ? operations[request.op] : undefined;
    if (!operation) {
      throw new Error(`unknown "op" ${JSON.stringify(request.op)}`);
    }
    return { id, ok: true, ...operation(request) };
  } catch (error) {
    return { id, ok: false, error: error.message };
  }
}

const lines = readline.createInterface({ input: process.stdin, crlfDelay: Infinity });
lines.on("line", (line) => {
  if (line.trim() !== "") {
    process.stdout.write(JSON.stringify(answer(line)) + "\n");
  }
});
