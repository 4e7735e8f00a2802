// The storage view's growth chart: one point per daily sample (mail storage used, number of accounts),
// drawn by chart.js. The server sets the samples as a JSON string property; nothing else comes in or out.
import { LitElement, html, css } from 'lit';
import { t } from '../i18n/essaim-i18n.js';
import {
  Chart, LineController, LineElement, PointElement, LinearScale, CategoryScale, Tooltip, Legend, Filler,
} from 'chart.js';

Chart.register(LineController, LineElement, PointElement, LinearScale, CategoryScale, Tooltip, Legend, Filler);

const MIB = 1024 * 1024;

class EssaimGrowthChart extends LitElement {
  static properties = { samples: { type: String } };

  static styles = css`
    :host { display: block; position: relative; min-height: 12rem; }
    .frame { position: relative; width: 100%; height: 100%; }
  `;

  constructor() {
    super();
    this.samples = '[]';
    this.chart = null;
  }

  render() {
    return html`<div class="frame"><canvas role="img" aria-label=${t('growth.aria')}></canvas></div>`;
  }

  updated() {
    let samples;
    try {
      samples = JSON.parse(this.samples || '[]');
    } catch (e) {
      samples = [];
    }
    const labels = samples.map((s) => s.day);
    const used = samples.map((s) => s.usedBytes / MIB);
    const accounts = samples.map((s) => s.accountCount);
    if (this.chart) {
      this.chart.destroy();
    }
    this.chart = new Chart(this.renderRoot.querySelector('canvas'), {
      type: 'line',
      data: {
        labels,
        datasets: [
          { label: t('growth.stored'), data: used, yAxisID: 'storage', borderColor: '#1676f3',
            backgroundColor: 'rgba(22, 118, 243, 0.15)', fill: true, tension: 0.2 },
          { label: t('growth.accounts'), data: accounts, yAxisID: 'accounts', borderColor: '#e8590c',
            backgroundColor: '#e8590c', stepped: true },
        ],
      },
      options: {
        animation: false,
        responsive: true,
        maintainAspectRatio: false,
        interaction: { mode: 'index', intersect: false },
        scales: {
          storage: { type: 'linear', position: 'left', beginAtZero: true, title: { display: true, text: t('growth.mb') } },
          accounts: { type: 'linear', position: 'right', beginAtZero: true, grid: { drawOnChartArea: false },
            ticks: { precision: 0 }, title: { display: true, text: t('growth.accountsAxis') } },
        },
      },
    });
    // Lets tests (and curious admins) see that the chart holds the samples.
    this.setAttribute('points', String(samples.length));
  }

  connectedCallback() {
    super.connectedCallback();
    this.requestUpdate(); // redraw when the element comes back into the page
  }

  disconnectedCallback() {
    super.disconnectedCallback();
    if (this.chart) {
      this.chart.destroy();
      this.chart = null;
    }
  }
}

customElements.define('essaim-growth-chart', EssaimGrowthChart);
