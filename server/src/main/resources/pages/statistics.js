// /statistics: charts and tables of /v1/stats, by province and then by district. No framework; ECharts draws.
// Every figure is fetched from the public API without a key, so the API's fair-usage limit, perturbation and
// suppression apply as they are. A suppressed cell (null in the JSON) is shown as suppressed, never estimated.
(function () {
  'use strict';
  var T = JSON.parse(document.getElementById('nser-texts').textContent);
  var ur = document.documentElement.lang === 'ur';
  var locale = ur ? 'ur-PK-u-nu-latn' : 'en-PK';
  var whole = new Intl.NumberFormat(locale);
  var percent = new Intl.NumberFormat(locale, {style: 'percent', minimumFractionDigits: 1, maximumFractionDigits: 1});
  var COLUMNS = ['households', 'members', 'count', 'base', 'share'];
  var measure = document.getElementById('measure');
  var indicator = document.getElementById('indicator');
  var status = document.getElementById('status');
  var charts = {};
  var shown = {}; // level id -> {data, onPick}
  var province = null; // {code, name} once chosen

  function fill(text, value) {
    return text.split('%d').join(value).split('%s').join(value);
  }

  function say(text, outcome) {
    status.textContent = text;
    if (outcome) {
      status.setAttribute('data-outcome', outcome);
    } else {
      status.removeAttribute('data-outcome');
    }
  }

  function fetchStats(query) {
    return fetch('/v1/stats?' + query, {headers: {Accept: 'application/json'}, credentials: 'omit'})
      .then(function (r) {
        if (r.status === 429) {
          var limited = new Error(fill(T.limit, r.headers.get('Retry-After') || '60'));
          limited.outcome = 'LIMIT';
          throw limited;
        }
        return r.json().then(function (j) {
          if (!r.ok) {
            var failed = new Error(fill(T.error, j.detail || r.status));
            failed.outcome = 'ERROR';
            throw failed;
          }
          return j;
        });
      });
  }

  function format(column, value) {
    return column === 'share' ? percent.format(value) : whole.format(value);
  }

  function cell(row, column, value) {
    var td = document.createElement('td');
    td.setAttribute('data-column', column);
    if (value === null || value === undefined) {
      td.className = 'suppressed';
      td.setAttribute('data-suppressed', 'true');
      td.title = fill(T.suppressedTitle, T.minCell);
      td.textContent = T.suppressed;
    } else {
      td.setAttribute('data-value', String(value));
      td.textContent = format(column, value);
    }
    row.appendChild(td);
  }

  function table(id, data, onPick) {
    var t = document.createElement('table');
    t.id = id + '-data';
    t.createCaption().textContent = measure.options[measure.selectedIndex].text;
    var head = t.createTHead().insertRow();
    ['area'].concat(COLUMNS).forEach(function (c) {
      var th = document.createElement('th');
      th.scope = 'col';
      th.textContent = T[c];
      head.appendChild(th);
    });
    var body = t.createTBody();
    data.groups.forEach(function (g) {
      var tr = body.insertRow();
      tr.setAttribute('data-code', String(g.code));
      var th = document.createElement('th');
      th.scope = 'row';
      if (onPick) {
        var b = document.createElement('button');
        b.type = 'button';
        b.className = 'area';
        b.textContent = g.name;
        b.addEventListener('click', function () { onPick(g); });
        th.appendChild(b);
      } else {
        th.textContent = g.name;
      }
      tr.appendChild(th);
      COLUMNS.forEach(function (c) { cell(tr, c, g[c]); });
    });
    var total = t.createTFoot().insertRow();
    total.setAttribute('data-code', 'total');
    var th = document.createElement('th');
    th.scope = 'row';
    th.textContent = T.total;
    total.appendChild(th);
    COLUMNS.forEach(function (c) { cell(total, c, data.total[c]); });
    document.getElementById(id + '-table').replaceChildren(t);
  }

  function chart(id, data, onPick) {
    var column = indicator.value;
    var el = document.getElementById(id + '-chart');
    el.style.height = Math.max(240, data.groups.length * 24 + 70) + 'px';
    var c = charts[id];
    if (c) {
      c.resize();
    } else {
      c = charts[id] = echarts.init(el, null, {renderer: 'svg'});
    }
    var items = data.groups.map(function (g) {
      var v = g[column];
      if (v === null || v === undefined) {
        return {value: 0, suppressed: true, itemStyle: {color: 'rgba(0,0,0,0)'},
          label: {show: true, formatter: T.suppressed, position: ur ? 'left' : 'right', color: '#7a3e00',
            fontStyle: 'italic'}};
      }
      return {value: v};
    });
    c.setOption({
      animation: false,
      textStyle: {fontFamily: ur ? "'" + T.font + "', system-ui, sans-serif" : 'system-ui, sans-serif'},
      grid: {containLabel: true, left: 28, right: 28, top: 30, bottom: 8},
      title: {text: T[column], left: ur ? 'right' : 'left', textStyle: {fontSize: 13}},
      tooltip: {trigger: 'item', formatter: function (p) {
        return p.name + ': ' + (p.data.suppressed ? T.suppressed : format(column, p.value));
      }},
      xAxis: {type: 'value', inverse: ur, axisLabel: {formatter: function (v) { return format(column, v); }}},
      yAxis: {type: 'category', data: data.groups.map(function (g) { return g.name; }), inverse: true,
        position: ur ? 'right' : 'left'},
      series: [{type: 'bar', data: items, cursor: onPick ? 'pointer' : 'default', barMaxWidth: 18,
        itemStyle: {color: '#1d70b8'}}]
    }, true);
    c.off('click');
    if (onPick) {
      c.on('click', function (p) { onPick(data.groups[p.dataIndex]); });
    }
  }

  function show(id, data, onPick) {
    shown[id] = {data: data, onPick: onPick};
    table(id, data, onPick);
    chart(id, data, onPick);
    document.getElementById(id).setAttribute('data-loaded', measure.value);
    say(fill(T.suppressedCount, data.suppressed_cells));
  }

  function query(level) {
    var q = 'group_by=' + level + '&measure=' + encodeURIComponent(measure.value);
    return level === 'district' ? q + '&province=' + province.code : q;
  }

  function fail(e) {
    say(e.message, e.outcome || 'ERROR');
  }

  function districts(focus) {
    return fetchStats(query('district')).then(function (d) {
      var section = document.getElementById('districts');
      section.hidden = false;
      var heading = document.getElementById('districts-h');
      heading.textContent = fill(T.byDistrict, province.name);
      show('districts', d, null);
      if (focus) {
        heading.focus();
      }
    });
  }

  function provinces() {
    say(T.loading);
    return fetchStats(query('province')).then(function (d) {
      show('provinces', d, function (g) {
        province = {code: g.code, name: g.name};
        districts(true).catch(fail);
      });
      return province ? districts(false) : null;
    }).catch(fail);
  }

  document.getElementById('controls').addEventListener('submit', function (e) { e.preventDefault(); });
  measure.addEventListener('change', provinces);
  indicator.addEventListener('change', function () { // the figures are at hand: redraw, fetch nothing
    Object.keys(shown).forEach(function (id) { chart(id, shown[id].data, shown[id].onPick); });
  });
  window.addEventListener('resize', function () {
    Object.keys(charts).forEach(function (id) { charts[id].resize(); });
  });
  // the charts draw their text once: let the Urdu font arrive first
  var fontReady = ur && document.fonts ? document.fonts.load("16px '" + T.font + "'", 'اعداد') : Promise.resolve();
  fontReady.then(provinces, provinces);
}());
