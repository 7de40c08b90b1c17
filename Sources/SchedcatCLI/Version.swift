// SPDX-License-Identifier: Apache-2.0
/// schedcat's version: the one place it is written (`schedcat --version`).
let schedcatVersion = "0.2.0"
