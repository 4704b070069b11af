import { defineConfig } from 'vitest/config'
import { svelte } from '@sveltejs/vite-plugin-svelte'
import { svelteTesting } from '@testing-library/svelte/vite'
import { resolve } from 'node:path'

const root = import.meta.dirname

export default defineConfig({
  test: {
    projects: [
      {
        test: {
          name: 'node',
          environment: 'node',
          include: ['test/**/*.test.ts'],
          exclude: ['test/e2e/**'],
          testTimeout: 30_000
        }
      },
      {
        plugins: [svelte({ configFile: resolve(root, 'svelte.config.mjs') }), svelteTesting()],
        test: {
          name: 'dom',
          environment: 'jsdom',
          include: ['src-renderer/**/*.test.ts']
        }
      },
      {
        test: {
          name: 'e2e',
          environment: 'node',
          include: ['test/e2e/**/*.e2e.test.ts'],
          fileParallelism: false,
          // A real browser against a real host on a 2-core machine: give each poll room.
          expect: { poll: { timeout: 15_000, interval: 50 } },
          testTimeout: 90_000,
          hookTimeout: 90_000
        }
      }
    ]
  }
})
