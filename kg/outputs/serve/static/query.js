// The SPARQL page: YASGUI on this server's endpoint only. Nothing is fetched from
// elsewhere: the prefix and class/property autocompleters that ask remote services
// are switched off, and the endpoint cannot be changed to another host.
(function () {
  "use strict";
  var named = JSON.parse(document.getElementById("named-data").textContent);
  var endpoint = window.location.origin + "/sparql";
  var Yasqe = Yasgui.Yasqe;
  Yasqe.defaults.autocompleters = Yasqe.defaults.autocompleters.filter(function (name) {
    return name === "variables";
  });
  var yasgui = new Yasgui(document.getElementById("yasgui"), {
    requestConfig: { endpoint: endpoint, method: "POST" },
    copyEndpointOnNewTab: false,
    endpointCatalogueOptions: { getData: function () { return [{ endpoint: endpoint }]; } },
    persistenceId: "kg-serve",
    populateFromUrl: true,
    yasqe: { value: named.length ? named[0].text : "SELECT * WHERE { ?s ?p ?o } LIMIT 10" }
  });
  window.kgYasgui = yasgui;
  document.getElementById("load-named").addEventListener("click", function () {
    var chosen = named[parseInt(document.getElementById("named-queries").value, 10)];
    var tab = yasgui.addTab(true, { name: chosen.name });
    tab.setQuery(chosen.text);
  });
  window.kgReady = true;
})();
