import { mount } from 'svelte'
import App from './App.svelte'
import { Api, pickBridge } from './lib/api'
import './app.css'

const target = document.getElementById('app')
if (!target) throw new Error('missing #app')
mount(App, { target, props: { api: new Api(pickBridge()) } })
