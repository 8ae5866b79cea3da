// The host page's side: ?mode=real (scorm-again's SCORM 1.2 runtime), ?mode=false (every call
// answers "false" with error 101), ?mode=set-refused (the session opens, every value is
// refused with error 405) or ?mode=throw (every call throws); &launch= is the
// package's launch link, relative to this page; &resume= is a JSON object of cmi values
// (flattened, as "cmi.suspend_data") loaded as a platform loads a stored attempt.
// window.calls lists every call the page made.
(() => {
  const params = new URLSearchParams(window.location.search);
  const mode = params.get("mode") ?? "real";
  window.calls = [];
  const log = (name, args, result) => {
    window.calls.push({ name, args: [...args], result });
    return result;
  };
  const NAMES = ["LMSInitialize", "LMSFinish", "LMSGetValue", "LMSSetValue", "LMSCommit", "LMSGetLastError", "LMSGetErrorString", "LMSGetDiagnostic"];
  if (mode === "real") {
    const runtime = new window.Scorm12API({ autocommit: false, lmsCommitUrl: false, logLevel: 5 });
    const resume = params.get("resume");
    if (resume) runtime.loadFromFlattenedJSON(JSON.parse(resume), "");
    window.runtime = runtime;
    window.API = Object.fromEntries(NAMES.map((name) => [name, (...args) => log(name, args, runtime[name](...args))]));
  } else if (mode === "false") {
    const answers = { LMSGetValue: "", LMSGetLastError: "101", LMSGetErrorString: "General exception", LMSGetDiagnostic: "" };
    window.API = Object.fromEntries(NAMES.map((name) => [name, (...args) => log(name, args, answers[name] ?? "false")]));
  } else if (mode === "set-refused") {
    // Opens the session, then refuses every value (error 405, "incorrect data type").
    let last = "0";
    const answers = {
      LMSInitialize: () => { last = "0"; return "true"; },
      LMSSetValue: () => { last = "405"; return "false"; },
      LMSCommit: () => { last = "0"; return "true"; },
      LMSFinish: () => { last = "0"; return "true"; },
      LMSGetValue: () => { last = "0"; return ""; },
      LMSGetLastError: () => last,
      LMSGetErrorString: () => "Incorrect data type",
      LMSGetDiagnostic: () => "",
    };
    window.API = Object.fromEntries(NAMES.map((name) => [name, (...args) => log(name, args, answers[name](...args))]));
  } else {
    window.API = Object.fromEntries(NAMES.map((name) => [name, (...args) => {
      log(name, args, "threw");
      throw new Error("the runtime is broken");
    }]));
  }
  document.addEventListener("DOMContentLoaded", () => {
    document.getElementById("sco").src = params.get("launch");
  });
})();
