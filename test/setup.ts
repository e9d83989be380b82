// Runs in every test file's context: temp folders made by the file are removed after it.
import { afterAll } from 'vitest'
import { removeTestdirs } from './helpers.js'

afterAll(removeTestdirs)
