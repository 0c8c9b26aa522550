# The layers of src/, lowest first, and the layers each uses directly. One
# table for two jobs: CMakeLists.txt builds a library per layer linking only
# what it uses, and check_layers.cmake fails the build on an #include that
# goes the wrong way (a library alone would not: every layer sees src/).
# A layer may include what it uses, and what those use, down to util.
set(SHELFSYNC_LAYERS util domain store auth catalog commerce feed integrations live http cli)
set(SHELFSYNC_USES_util "")
set(SHELFSYNC_USES_domain util)
set(SHELFSYNC_USES_store domain)
set(SHELFSYNC_USES_auth store)
set(SHELFSYNC_USES_catalog auth)
set(SHELFSYNC_USES_commerce catalog)
set(SHELFSYNC_USES_feed auth)
set(SHELFSYNC_USES_integrations commerce feed)
set(SHELFSYNC_USES_live feed)
set(SHELFSYNC_USES_http integrations live)
set(SHELFSYNC_USES_cli http)

# Sets SHELFSYNC_BELOW_<layer> for every layer: all the layers it may include.
function(shelfsync_layer_closure)
  foreach(layer IN LISTS SHELFSYNC_LAYERS)  # lowest first: the uses are done
    set(below "")
    foreach(used IN LISTS SHELFSYNC_USES_${layer})
      list(APPEND below ${used} ${SHELFSYNC_BELOW_${used}})
    endforeach()
    list(REMOVE_DUPLICATES below)
    set(SHELFSYNC_BELOW_${layer} "${below}")
    set(SHELFSYNC_BELOW_${layer} "${below}" PARENT_SCOPE)
  endforeach()
endfunction()
shelfsync_layer_closure()
