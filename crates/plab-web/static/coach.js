// Live coaching of the research question as the leader types: posts the text
// to the coach endpoint (same-origin, session cookie) and renders the result
// with textContent only, so nothing the user typed can become markup.
(function () {
  const area = document.getElementById("question-text");
  const out = document.getElementById("coach");
  const csrf = document.querySelector("#question input[name=csrf]");
  if (!area || !out || !csrf) return;
  let timer = null;
  area.addEventListener("input", () => {
    clearTimeout(timer);
    timer = setTimeout(async () => {
      const text = area.value.trim();
      if (!text) { out.replaceChildren(); return; }
      const body = new URLSearchParams({ csrf: csrf.value, text });
      const resp = await fetch("/coach", { method: "POST", body });
      if (!resp.ok) return;
      const a = await resp.json();
      const head = document.createElement("p");
      const strong = document.createElement("strong");
      strong.className = "strength strength-" + a.strength;
      strong.textContent = a.strength;
      head.append(strong, " · " + a.score + "/100");
      const list = document.createElement("ul");
      for (const f of a.findings) {
        const li = document.createElement("li");
        const em = document.createElement("em");
        em.textContent = f.suggestion;
        li.append(f.message + " ", em);
        list.append(li);
      }
      out.replaceChildren(head, list);
    }, 300);
  });
})();
