import { mount } from 'svelte'
import App from './App.svelte'
import { Api, pickBridge } from './lib/api'
import './tokens.css'
import './app.css'

const target = document.getElementById('app')
if (!target) throw new Error('missing #app')
const api = new Api(pickBridge())
mount(App, { target, props: { api } })

// In a browser tab (the web host), closing with changes not yet on Circuit asks first.
// (Under Electron the main process asks, with the count.)
if (!window.saleroom) {
  let pending = 0
  api.on('status', (s) => (pending = s.pending))
  window.addEventListener('beforeunload', (e) => {
    if (pending > 0) e.preventDefault()
  })
}
